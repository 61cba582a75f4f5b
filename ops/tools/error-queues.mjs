// Inspect and replay messages of the platform's _error queues (messages that failed all their retries).
//   node error-queues.mjs show QUEUE_error [--limit N]
//   node error-queues.mjs replay QUEUE_error [--message-id ID]
// Connection from IX_RABBIT_HOST, IX_RABBIT_VHOST, IX_RABBIT_USER, IX_RABBIT_PASSWORD (ops/env.sh defaults).
// show leaves every message where it was; replay moves messages back to the queue they failed on, with their
// original id (so a consumer that did process one after all still drops it) and without the fault headers.
import amqp from "amqplib";

const [command, queue, ...rest] = process.argv.slice(2);
const option = (name) => { const i = rest.indexOf(name); return i >= 0 ? rest[i + 1] : undefined; };
if (!["show", "replay"].includes(command) || !queue?.endsWith("_error")) {
  console.error("usage: error-queues.mjs show|replay QUEUE_error [--limit N] [--message-id ID]");
  process.exit(2);
}
const env = (name, fallback) => process.env[name] ?? fallback;
const url = `amqp://${encodeURIComponent(env("IX_RABBIT_USER", "incidentexchange"))}:${encodeURIComponent(env("IX_RABBIT_PASSWORD", "incidentexchange"))}` +
  `@${env("IX_RABBIT_HOST", "127.0.0.1")}/${encodeURIComponent(env("IX_RABBIT_VHOST", "incidentexchange"))}`;

const connection = await amqp.connect(url);
// An error queue is declared when the first message fails all its retries: until then there is nothing to show.
// Asking for a queue that does not exist closes the channel asking, so ask on a channel of its own.
const probe = await connection.createChannel();
probe.on("error", () => {});
if (!(await probe.checkQueue(queue).then(() => true, () => false))) {
  console.log(`${queue} does not exist: no message has failed there yet`);
  if (command === "replay") console.log("replayed 0");
  await connection.close();
  process.exit(0);
}
await probe.close();
const channel = await connection.createConfirmChannel();
const limit = Number(option("--limit") ?? 1000);
const onlyId = option("--message-id");
const held = [];
let replayed = 0;
try {
  for (let message; held.length + replayed < limit && (message = await channel.get(queue, { noAck: false }));) {
    const envelope = JSON.parse(message.content.toString());
    const headers = message.properties.headers ?? {};
    if (command === "show") {
      console.log(JSON.stringify({
        messageId: envelope.messageId,
        messageType: envelope.messageType,
        faultedAt: headers["MT-Fault-Timestamp"],
        exception: headers["MT-Fault-ExceptionType"],
        reason: headers["MT-Fault-Message"],
        consumer: headers["MT-Fault-ConsumerType"],
        message: envelope.message,
      }));
      held.push(message);
    } else if (!onlyId || envelope.messageId === onlyId) {
      const target = queue.slice(0, -"_error".length);
      const clean = Object.fromEntries(Object.entries(headers).filter(([k]) => !k.startsWith("MT-Fault-") && !k.startsWith("MT-Host-") && k !== "MT-Reason"));
      channel.sendToQueue(target, message.content, { ...message.properties, headers: { ...clean, "IX-Replayed-At": new Date().toISOString() } });
      await channel.waitForConfirms(); // on the target queue before it leaves the error queue
      channel.ack(message);
      replayed++;
      console.log(`replayed ${envelope.messageId} to ${target}`);
    } else {
      held.push(message);
    }
  }
} finally {
  for (const message of held) channel.nack(message, false, true);
  await channel.close();
  await connection.close();
}
if (command === "replay") console.log(`replayed ${replayed}`);
