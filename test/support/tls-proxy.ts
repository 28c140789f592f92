/**
 * https:// in front of a real llama-server, for the TLS tests: a test CA and a server certificate for
 * 127.0.0.1 made with `openssl` in a temporary folder, and a loopback TLS proxy that presents it.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:https";
import { request } from "node:http";
import { join } from "node:path";

export interface TestCertificates {
    /** The CA's certificate (PEM file): what a client must trust. */
    caFile: string;
    key: string;
    cert: string;
}

/** A CA and a certificate it signed for IP 127.0.0.1, valid for two days. */
export function makeTestCertificates(dir: string): TestCertificates {
    const file = (name: string) => join(dir, name);
    writeFileSync(file("ca.cnf"), [
        "[req]", "distinguished_name = dn", "prompt = no", "x509_extensions = ca", "[dn]", "CN = R-Stitch test CA",
        "[ca]", "basicConstraints = critical,CA:TRUE", "keyUsage = critical,keyCertSign,cRLSign", "subjectKeyIdentifier = hash", "",
    ].join("\n"));
    writeFileSync(file("server.ext"), [
        "basicConstraints = CA:FALSE", "keyUsage = critical,digitalSignature", "extendedKeyUsage = serverAuth",
        "subjectAltName = IP:127.0.0.1", "authorityKeyIdentifier = keyid", "",
    ].join("\n"));
    const openssl = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    openssl(["req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-config", "ca.cnf"]);
    openssl(["req", "-new", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]);
    openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext"]);
    return { caFile: file("ca.pem"), key: readFileSync(file("server.key"), "utf8"), cert: readFileSync(file("server.pem"), "utf8") };
}

export interface TlsProxy {
    url: string;
    close(): Promise<void>;
}

/** https://127.0.0.1:PORT passing every request on to `target` (http://) as it is, streams included. */
export async function startTlsProxy(target: string, certs: TestCertificates): Promise<TlsProxy> {
    const upstream = new URL(target);
    const server = createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
        const up = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
        });
        up.on("error", () => res.destroy());
        res.on("close", () => up.destroy());
        req.pipe(up);
    });
    // A client that refuses the certificate makes the handshake fail; that is the test's point, not an error here.
    server.on("tlsClientError", () => undefined);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        url: `https://127.0.0.1:${(server.address() as { port: number }).port}`,
        close: () => new Promise((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}
