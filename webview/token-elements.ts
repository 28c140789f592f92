/** Finding what shows a token, in the raw stream and in rendered text alike. */
/**
 * The elements that show token `i`: its spans (one in the raw stream; in rendered text, as many as
 * the markup cut it into, none for pure markup), else the formula it helped write.
 */
export function tokenElements(root: HTMLElement, i: number): HTMLElement[] {
    const spans = Array.from(root.querySelectorAll<HTMLElement>(`.tok[data-i="${i}"]`));
    if (spans.length > 0) return spans;
    const math = Array.from(root.querySelectorAll<HTMLElement>(".md-math[data-from]")).find((m) => Number(m.dataset.from) <= i && i <= Number(m.dataset.to));
    return math ? [math] : [];
}
