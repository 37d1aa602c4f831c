// The statements live in the store; re-exported here, where the package has always exported them.
export { revokeUserCredentials, type RevokedCredentials } from "../store/users.ts";
