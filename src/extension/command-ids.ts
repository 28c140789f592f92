/** Command ids, as contributed in package.json (the UI tests and menus rely on them). */
export const COMMANDS = {
    solve: "rstitch.solve",
    explainSelection: "rstitch.explainSelection",
    stop: "rstitch.stop",
    chooseModels: "rstitch.chooseModels",
    downloadModels: "rstitch.downloadModels",
    clearConversation: "rstitch.clearConversation",
    showLog: "rstitch.showLog",
    setLlmServerApiKey: "rstitch.setLlmServerApiKey",
    exportTrace: "rstitch.exportTrace",
    openTrace: "rstitch.openTrace",
    focusInput: "rstitch.focusInput",
    newChat: "rstitch.newChat",
    showChats: "rstitch.showChats",
    renameChat: "rstitch.renameChat",
    deleteChat: "rstitch.deleteChat",
    regenerate: "rstitch.regenerate",
} as const;
