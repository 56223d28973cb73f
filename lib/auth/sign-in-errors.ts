/** The error code of a sign-in refused because the account is disabled (lib/users/access.ts): the form shows the server's message. */
export const ACCOUNT_DISABLED = "ACCOUNT_DISABLED";
