/**
 * How a token is numbered wherever the view names one (the status line, the timeline's readout and
 * its switch marks): from 1, as a person counts. Data keeps 0-based indices (`data-i`, a switch's
 * `index`, trace files); only this turns one into words.
 */

/** The 1-based number of the token at 0-based `index`. */
export function tokenNumber(index: number): number {
    return index + 1;
}

/** "token 16 of 104" for the token at 0-based `index` of `count`. */
export function tokenOf(index: number, count: number): string {
    return `token ${tokenNumber(index)} of ${count}`;
}
