/**
 * Field-by-field checks of untrusted JSON (host messages in the webview, trace files): each returns the
 * value with its type or throws FieldError naming the field, so one catch turns any bad field into a
 * one-line reason. Pure; both bundles use it.
 */

/** A field is missing or of the wrong kind; its message names the field ("tokens[3].entropy is …"). */
export class FieldError extends Error {}

export type Obj = Record<string, unknown>;

export function obj(v: unknown, what: string): Obj {
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new FieldError(`${what} is not an object`);
    return v as Obj;
}

export function str(v: unknown, what: string): string {
    if (typeof v !== "string") throw new FieldError(`${what} is not a string`);
    return v;
}

export function bool(v: unknown, what: string): boolean {
    if (typeof v !== "boolean") throw new FieldError(`${what} is not a boolean`);
    return v;
}

/** A finite number, within [min, max] when a range is given. */
export function num(v: unknown, what: string, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY): number {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new FieldError(`${what} is not a number`);
    if (v < min || v > max) throw new FieldError(`${what} is ${v}, outside ${min}–${max === Number.POSITIVE_INFINITY ? "∞" : max}`);
    return v;
}

export function int(v: unknown, what: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const n = num(v, what, min, max);
    if (!Number.isInteger(n)) throw new FieldError(`${what} is ${n}, not a whole number`);
    return n;
}

export function oneOf<T extends string>(v: unknown, allowed: readonly T[], what: string): T {
    if (!allowed.includes(v as T)) throw new FieldError(`${what} is not one of ${allowed.join(", ")}`);
    return v as T;
}

/** A list, of at most `max` entries. */
export function list(v: unknown, what: string, max = Number.POSITIVE_INFINITY): unknown[] {
    if (!Array.isArray(v)) throw new FieldError(`${what} is not a list`);
    if (v.length > max) throw new FieldError(`${what} has ${v.length} entries, more than ${max}`);
    return v;
}
