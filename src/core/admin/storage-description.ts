import type { StorageSettings } from '../plans/plan';

const PROTOCOL_LABEL = { ftp: 'FTP', 'ftps-explicit': 'FTPS', 'ftps-implicit': 'FTPS (implicit)', sftp: 'SFTP' } as const;

/** "Managed storage" or "SFTP backup.example.com:22/backups": how the panel, the audit log and messages name a storage. */
export function describeStorage(settings: StorageSettings): string {
  if (settings.kind === 'managed') return 'Managed storage';
  return `${PROTOCOL_LABEL[settings.protocol]} ${settings.user}@${settings.host}:${settings.port}${settings.folder}`;
}
