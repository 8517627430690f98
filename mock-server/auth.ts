import { ProblemError } from "../protocol/problem.ts";
import type { Role } from "../protocol/operations.ts";

/** The keys of PROTOCOL.md "Roles and authentication". */
export interface Keys {
  readonly admin: string;
  readonly support: string;
  /** lenderId -> key */
  readonly lenders: Readonly<Record<string, string>>;
}

export type Principal =
  | { readonly role: "none" }
  | { readonly role: "admin" }
  | { readonly role: "support" }
  | { readonly role: "lender"; readonly lenderId: string }
  | { readonly role: "device"; readonly deviceId: string };

/** Resolves bearer tokens to principals. Device tokens come and go with check-ins. */
export class Authenticator {
  private readonly staticTokens = new Map<string, Principal>();
  private readonly deviceTokens = new Map<string, string>();

  constructor(readonly keys: Keys) {
    this.staticTokens.set(keys.admin, { role: "admin" });
    this.staticTokens.set(keys.support, { role: "support" });
    for (const [lenderId, key] of Object.entries(keys.lenders)) this.staticTokens.set(key, { role: "lender", lenderId });
  }

  /** 401 for a missing or unknown token, 403 for a known token of another role. */
  require(role: Role, token: string | undefined): Principal {
    if (role === "none") return { role: "none" };
    if (!token) throw new ProblemError(401, "unauthorized", "This call needs an Authorization: Bearer <token> header.");
    const principal = this.resolve(token);
    if (!principal) throw new ProblemError(401, "unauthorized", "The bearer token is not valid (a device token is replaced by each check-in).");
    if (principal.role !== role) throw new ProblemError(403, "forbidden", `A ${principal.role} token cannot call a ${role} operation.`);
    return principal;
  }

  grantDevice(token: string, deviceId: string): void {
    this.deviceTokens.set(token, deviceId);
  }

  revokeDevice(token: string): void {
    this.deviceTokens.delete(token);
  }

  clearDevices(): void {
    this.deviceTokens.clear();
  }

  private resolve(token: string): Principal | undefined {
    const fixed = this.staticTokens.get(token);
    if (fixed) return fixed;
    const deviceId = this.deviceTokens.get(token);
    return deviceId === undefined ? undefined : { role: "device", deviceId };
  }
}
