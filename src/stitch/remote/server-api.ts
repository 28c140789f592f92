/** The APIs R-Stitch can speak to an LLM server (rstitch.LLMServerAPI, --llm-api): auto is detected on connect (server-engine.ts). */
export const SERVER_APIS = ["auto", "llama", "openai"] as const;
export type ServerApi = (typeof SERVER_APIS)[number];
