/** The headless R-Stitch: `rstitch solve | chat | eval | bench | calibrate | load | models`. Same decoder and event stream as the extension. */
import { HELP, UsageError } from "./cli/usage.ts";
import { solveCommand, type Io } from "./cli/solve.ts";

type Command = (args: string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
    solve: async () => solveCommand,
    chat: async () => (await import("./cli/chat.ts")).chatCommand,
    eval: async () => (await import("./cli/eval.ts")).evalCommand,
    bench: async () => (await import("./cli/bench.ts")).benchCommand,
    calibrate: async () => (await import("./cli/calibrate.ts")).calibrateCommand,
    load: async () => (await import("./cli/load.ts")).loadCommand,
    models: async () => (await import("./cli/models-command.ts")).modelsCommand,
};

async function main(argv: string[]): Promise<number> {
    const controller = new AbortController();
    // A lasting listener, not `once`: signal-exit (loaded by node-llama-cpp's download code) re-raises
    // a SIGINT that no other listener handles, which killed `models pull` before it could cancel.
    // A second Ctrl-C leaves at once.
    process.on("SIGINT", () => {
        if (controller.signal.aborted) process.exit(130);
        controller.abort();
    });
    const io: Io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, signal: controller.signal };
    const [name, ...rest] = argv;
    try {
        if (!name) {
            io.stderr.write(HELP + "\n");
            return 2;
        }
        if (name === "help" || name === "--help" || name === "-h") {
            io.stdout.write(HELP + "\n");
            return 0;
        }
        const load = COMMANDS[name];
        if (!load) throw new UsageError(`Unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(", ")}. See rstitch help.`);
        return await (await load())(rest, io);
    } catch (e) {
        if (e instanceof UsageError) {
            io.stderr.write(`rstitch: ${e.message}\n`);
            return 2;
        }
        io.stderr.write(`rstitch: ${(e as Error).message ?? String(e)}\n`);
        return 1;
    }
}

main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
});
