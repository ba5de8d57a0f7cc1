/** Write-only credentials (FTP passwords, SSH keys). Forge implementation: kvs.setSecret / getSecret. Never returned to the browser. */
export interface Secrets {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}
