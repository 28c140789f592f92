/**
 * What the GGUF check reads from a file's header: metadata and the tensor table. Its own module so
 * that the checks which inspect a report (llama-check, vocabulary-check) and the reader that builds it
 * (validate) depend on it, not on each other.
 */

export type Scalar = number | bigint | boolean | string;
/** An array value; `values` is kept only for short arrays and the vocabulary's keys. */
export interface ArrayValue { array: true; of: string; length: number; values?: Scalar[] }
export type MetaEntry = Scalar | ArrayValue;

export interface TensorInfo { name: string; dims: number[]; type: number; offset: number; bytes: number }

export interface GgufReport {
    version: number;
    architecture: string;
    metadata: Map<string, MetaEntry>;
    tensors: TensorInfo[];
    /** Where each metadata value lies in the file (its type tag included), so a copy can keep it byte for byte. */
    metadataSpans: Map<string, { start: number; end: number }>;
    /** File offset of the tensor data; tensor offsets count from here. */
    dataStart: number;
}
