// autocannon `setupRequest` for worker threads. CommonJS because autocannon's worker loads it with require().
// Each request is a new Telegram text update: unique update_id, 300 people writing in turn, questions from the
// development set.
const fs = require('node:fs');
const path = require('node:path');
const { threadId } = require('node:worker_threads');

const questions = fs
  .readFileSync(path.resolve('test/fixtures/assistant-dev.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l).question);
let n = 0;

module.exports = function setupRequest(req) {
  const i = n++;
  const chatId = 10_000 + (i % 300);
  const update = {
    update_id: threadId * 10_000_000 + i,
    message: {
      message_id: i + 1,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'Dân' },
      from: { id: chatId, is_bot: false, first_name: 'Dân' },
      text: questions[i % questions.length],
    },
  };
  return { ...req, body: JSON.stringify(update) };
};
