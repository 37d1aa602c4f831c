/** `@arbiter/judge/testing`: a scriptable OpenAI-compatible server on 127.0.0.1 and helpers to read what it was sent. */
export {
  failWith,
  replyWith,
  startOpenAITestServer,
  streamWith,
  type ChatRequestBody,
  type ChatUsage,
  type OpenAITestServer,
  type RecordedRequest,
  type TestServerBehaviour,
  type TestServerHandler,
} from "./openai-test-server.ts";
export { labelOf, shownResponses } from "./judge-fixtures.ts";
