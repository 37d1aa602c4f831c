export { hashPassword, verifyPassword } from "./passwords.ts";
export { getAppSecret } from "./secret.ts";
export { displayNameProblem, findUnstorableText, hasUnstorableCharacters, MAX_DISPLAY_NAME_LENGTH } from "./text-rules.ts";
