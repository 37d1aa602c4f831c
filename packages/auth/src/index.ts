export { hashPassword, verifyPassword } from "./passwords.ts";
export { getAppSecret } from "./secret.ts";
