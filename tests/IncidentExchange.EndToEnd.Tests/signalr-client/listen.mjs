// Connects to the alerts hub as the holder of a token and prints, one JSON object a line:
// {"event":"connected"} once connected, {"event":"alert","alert":{...}} for each alert, {"event":"stamped",...} and
// {"event":"escalation",...} as the hub sends them, {"event":"error",...} on failure.
// Usage: node listen.mjs HUB_URL   (token on standard input's first line, so it never shows in a process list)
// Each further line of standard input, {"invoke": METHOD, "args": [...]}, invokes a hub method and prints
// {"event":"invoked","method":...,"result":...} or {"event":"invoke-failed","method":...,"message":...}.
import { HubConnectionBuilder, LogLevel } from "@microsoft/signalr";
import { createInterface } from "node:readline";

const [hubUrl] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin });
const token = await new Promise((resolve) => lines.once("line", resolve));
const print = (value) => process.stdout.write(JSON.stringify(value) + "\n");

const connection = new HubConnectionBuilder()
  .withUrl(hubUrl, { accessTokenFactory: () => token })
  .configureLogging(LogLevel.Warning)
  .build();
connection.on("alert", (alert) => print({ event: "alert", alert }));
connection.on("stamped", (stamped) => print({ event: "stamped", stamped }));
connection.on("escalation", (escalation) => print({ event: "escalation", escalation }));
connection.onclose((error) => print({ event: "closed", error: error?.message ?? null }));
try {
  await connection.start();
  print({ event: "connected", transport: connection.connection?.transport?.constructor?.name ?? null });
} catch (error) {
  // A refused negotiation arrives wrapped; its HTTP status is only in the message ("Status code '401'").
  const status = error.statusCode ?? Number(/Status code '(\d+)'/.exec(error.message ?? "")?.[1] ?? NaN);
  print({ event: "error", message: error.message, statusCode: Number.isNaN(status) ? null : status });
  process.exit(1);
}
lines.on("line", async (line) => {
  const { invoke, args } = JSON.parse(line);
  try {
    print({ event: "invoked", method: invoke, result: await connection.invoke(invoke, ...(args ?? [])) });
  } catch (error) {
    print({ event: "invoke-failed", method: invoke, message: error.message });
  }
});
lines.on("close", async () => { await connection.stop(); process.exit(0); });
