// The themes phase B measures (code-server 1.139's theme-defaults, as the picker labels them), and
// the contrast bar it holds them to. Light Modern comes last: phase B's settings.json starts there, so
// a walk through the list changes the theme at every step and ends where it began.
export const THEMES = [
    { label: "Dark 2026", file: "dark-2026" },
    { label: "Light 2026", file: "light-2026" },
    { label: "Dark Modern", file: "dark-modern" },
    { label: "Dark High Contrast", file: "dark-high-contrast" },
    { label: "Light High Contrast", file: "light-high-contrast" },
    { label: "Light Modern", file: "light-modern" },
];

/** WCAG AA for normal text. */
export const AA = 4.5;
