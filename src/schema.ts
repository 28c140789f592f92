/**
 * Declarative schemas for untrusted JSON (host messages in the webview, trace files, view messages on
 * the host). One declaration gives both the TypeScript type (`Infer`) and its check, so a type and its
 * validator cannot drift, and two validators of one shape are one object. A check rebuilds the value
 * from declared fields only (nothing unexpected rides along) or throws FieldError naming the field
 * ("tokens[3].entropy is not a number"), so one catch turns any bad field into a one-line reason.
 * Pure; both bundles use it.
 */

/** A field is missing or of the wrong kind; its message names the field. */
export class FieldError extends Error {}

/** How a value is named in a refusal (`name`), and the prefix its fields' names start with. */
export interface Where {
    name: string;
    prefix: string;
}

/** The root of a check: named `name` when it is itself wrong; its fields are named bare ("prompt"). */
export function root(name: string): Where {
    return { name, prefix: "" };
}

function field(at: Where, key: string): Where {
    return { name: at.prefix + key, prefix: `${at.prefix}${key}.` };
}

function item(at: Where, i: number): Where {
    return { name: `${at.name}[${i}]`, prefix: `${at.name}[${i}].` };
}

export interface Schema<T> {
    /** The checked value, rebuilt; throws FieldError. */
    check(v: unknown, at: Where): T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

function schema<T>(check: (v: unknown, at: Where) => T): Schema<T> {
    return { check };
}

/** Checks `v` against `s` at the root named `name`. */
export function parse<T>(s: Schema<T>, v: unknown, name: string): T {
    return s.check(v, root(name));
}

export const string: Schema<string> = schema((v, at) => {
    if (typeof v !== "string") throw new FieldError(`${at.name} is not a string`);
    return v;
});

export const boolean: Schema<boolean> = schema((v, at) => {
    if (typeof v !== "boolean") throw new FieldError(`${at.name} is not a boolean`);
    return v;
});

function inRange(v: unknown, at: Where, min: number, max: number): number {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new FieldError(`${at.name} is not a number`);
    if (v < min || v > max) throw new FieldError(`${at.name} is ${v}, outside ${min}–${max === Number.POSITIVE_INFINITY ? "∞" : max}`);
    return v;
}

/** A finite number, within [min, max]. */
export function number(min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY): Schema<number> {
    return schema((v, at) => inRange(v, at, min, max));
}

/** A whole number, within [min, max] (a count by default). */
export function integer(min = 0, max = Number.MAX_SAFE_INTEGER): Schema<number> {
    return schema((v, at) => {
        const n = inRange(v, at, min, max);
        if (!Number.isInteger(n)) throw new FieldError(`${at.name} is ${n}, not a whole number`);
        return n;
    });
}

export function oneOf<const T extends string>(allowed: readonly T[]): Schema<T> {
    return schema((v, at) => {
        if (!allowed.includes(v as T)) throw new FieldError(`${at.name} is not one of ${allowed.join(", ")}`);
        return v as T;
    });
}

/** Exactly `value`; `refuse` words the refusal when the default ("x is not 1") says too little. */
export function literal<const T extends string | number>(value: T, refuse?: (v: unknown, at: Where) => string): Schema<T> {
    return schema((v, at) => {
        if (v !== value) throw new FieldError(refuse ? refuse(v, at) : `${at.name} is not ${JSON.stringify(value)}`);
        return value;
    });
}

export function nullable<T>(s: Schema<T>): Schema<T | null> {
    return schema((v, at) => (v === null ? null : s.check(v, at)));
}

export interface ListSchema<T> extends Schema<T[]> {
    /** The schema of each entry. */
    readonly of: Schema<T>;
}

/** A list of at most `max` entries, each checked and named `name[i]`. */
export function list<T>(of: Schema<T>, max = Number.POSITIVE_INFINITY): ListSchema<T> {
    return { of, check: (v, at) => {
        if (!Array.isArray(v)) throw new FieldError(`${at.name} is not a list`);
        if (v.length > max) throw new FieldError(`${at.name} has ${v.length} entries, more than ${max}`);
        const out: T[] = new Array(v.length);
        for (let i = 0; i < v.length; i++) out[i] = of.check(v[i], item(at, i));
        return out;
    } };
}

type Labelled = readonly (readonly [label: string, schema: Schema<unknown>])[];
type Items<L extends Labelled> = { -readonly [K in keyof L]: L[K] extends readonly [string, Schema<infer T>] ? T : never };

/**
 * A fixed-length list (`[text, source, entropy]`) with an optional last entry; each entry is named by
 * its label ("tokens[3] entropy"). `shape` words the refusal of a wrong length.
 */
export function tuple<const L extends Labelled, O = never>(items: L, last: readonly [string, Schema<O>] | undefined, shape: string): Schema<[O] extends [never] ? Items<L> : [...Items<L>, O?]> {
    return schema((v, at) => {
        if (!Array.isArray(v)) throw new FieldError(`${at.name} is not a list`);
        const lengths = last ? [items.length, items.length + 1] : [items.length];
        if (!lengths.includes(v.length)) throw new FieldError(`${at.name} is not ${shape}`);
        const named = (label: string): Where => ({ name: `${at.name} ${label}`, prefix: `${at.name} ${label}.` });
        const out: unknown[] = items.map(([label, s], i) => s.check(v[i], named(label)));
        if (last && v.length > items.length) out.push(last[1].check(v[items.length], named(last[0])));
        return out as never;
    });
}

/** Marks an object field that may be absent (undefined); an absent field stays absent. */
export interface Optional<T> extends Schema<T> {
    readonly optional: true;
}

export function optional<T>(s: Schema<T>): Optional<T> {
    return { check: s.check, optional: true };
}

export type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends Optional<unknown> ? K : never }[keyof S];
type Flat<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<S extends Shape> = Flat<{ [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }>;

export interface ObjectSchema<S extends Shape> extends Schema<ObjectOf<S>> {
    /** The field schemas, in the order they are checked. */
    readonly shape: S;
}

function record(v: unknown, at: Where): Record<string, unknown> {
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new FieldError(`${at.name} is not an object`);
    return v as Record<string, unknown>;
}

function checkFields<S extends Shape>(shape: S, o: Record<string, unknown>, at: Where, out: Record<string, unknown>): void {
    for (const key of Object.keys(shape)) {
        const s = shape[key]!;
        const v = o[key];
        if (v === undefined && (s as Partial<Optional<unknown>>).optional) continue;
        out[key] = s.check(v, field(at, key));
    }
}

/** An object with these fields, checked in order; other fields are dropped. */
export function object<const S extends Shape>(shape: S): ObjectSchema<S> {
    return {
        shape,
        check(v, at) {
            const out: Record<string, unknown> = {};
            checkFields(shape, record(v, at), at, out);
            return out as ObjectOf<S>;
        },
    };
}

type Cases = Record<string, Shape>;
export type VariantOf<K extends string, C extends Cases> = { [T in keyof C & string]: Flat<{ [k in K]: T } & ObjectOf<C[T]>> }[keyof C & string];

export interface VariantsSchema<K extends string, C extends Cases> extends Schema<VariantOf<K, C>> {
    readonly cases: C;
}

/** A discriminated union: `key` names the case ("type": "init" | "status" …), each case its fields. */
export function variants<const K extends string, const C extends Cases>(key: K, cases: C): VariantsSchema<K, C> {
    return {
        cases,
        check(v, at) {
            const o = record(v, at);
            const tag = o[key];
            if (typeof tag !== "string" || !Object.hasOwn(cases, tag)) {
                throw new FieldError(`unknown ${at.name} ${key} ${JSON.stringify(String(tag)).slice(0, 40)}`);
            }
            const out: Record<string, unknown> = { [key]: tag };
            checkFields(cases[tag]!, o, at, out);
            return out as VariantOf<K, C>;
        },
    };
}

/** `s`, then a check across its fields: `problem` returns the refusal, or undefined when the value is fine. */
export function refine<T, S extends Schema<T>>(s: S & Schema<T>, problem: (value: T, at: Where) => string | undefined): S {
    return {
        ...s,
        check(v: unknown, at: Where): T {
            const value = s.check(v, at);
            const why = problem(value, at);
            if (why !== undefined) throw new FieldError(why);
            return value;
        },
    };
}
