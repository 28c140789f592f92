/** A count with its noun in the right number: "1 switch", "0 switches", "2 SLM tokens". */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
    return `${n} ${n === 1 ? noun : plural}`;
}
