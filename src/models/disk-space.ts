/** The disk-space check made before any byte is downloaded. */
import { statfs } from "node:fs/promises";

/** Room kept free beyond the files themselves, so the disk is never filled to the last byte. */
export const SPARE_BYTES = 256 * 1024 * 1024;

/** Bytes an unprivileged user may still write on the file system that holds `dir`. */
export async function freeBytes(dir: string): Promise<number> {
    const s = await statfs(dir);
    return s.bavail * s.bsize;
}

export function formatBytes(n: number): string {
    if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
    if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
    if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
    return `${n} B`;
}

/** A message when `needed` bytes (plus the spare) do not fit in `free`, else null. */
export function spaceShortage(needed: number, free: number, dir: string): string | null {
    if (needed + SPARE_BYTES <= free) return null;
    return `Not enough disk space in ${dir}: the download needs ${formatBytes(needed)} (plus ${formatBytes(SPARE_BYTES)} to spare) and ${formatBytes(free)} is free. Free some space or choose another folder.`;
}
