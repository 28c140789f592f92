// Loads node-llama-cpp from the given index.js with the CPU prebuilt binary, as the extension host
// would. A file rather than `node -e`: node-llama-cpp forks a child to test its binary, and the
// child inherits `-e` from execArgv.
const { getLlama } = await import(process.argv[2]);
const llama = await getLlama({ gpu: false, build: "never", logLevel: "error" });
console.log(`[package] node-llama-cpp loads from the unpacked .vsix on Node ${process.versions.node}: ${llama.buildType}, cpu`);
await llama.dispose();
