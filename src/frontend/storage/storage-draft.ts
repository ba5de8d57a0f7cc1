import type { RemoteProtocol, StorageSettings } from '../../core/plans/plan';
import { DEFAULT_PORTS } from '../../core/plans/defaults';
import type { StorageView } from '../../core/admin/configuration-service';

/** The storage form's state. Secrets start empty: the page never receives them, only whether they are set. */
export interface StorageDraft {
  kind: 'managed' | 'remote';
  quotaGb: string;
  protocol: RemoteProtocol;
  host: string;
  port: string;
  user: string;
  auth: 'password' | 'private-key';
  password: string;
  privateKey: string;
  /** The private key's passphrase, if it has one. Write-only like the key. */
  passphrase: string;
  folder: string;
  relayUrl: string;
  caCertificate: string;
  hostKeyFingerprint: string;
}

const GB = 1024 ** 3;

export function draftFromStorage(view: StorageView): StorageDraft {
  const s: StorageSettings = view.settings;
  const base: StorageDraft = {
    kind: s.kind, quotaGb: '20', protocol: 'sftp', host: '', port: String(DEFAULT_PORTS.sftp), user: '', auth: 'password',
    password: '', privateKey: '', passphrase: '', folder: '/backups/jira', relayUrl: '', caCertificate: '', hostKeyFingerprint: '',
  };
  if (s.kind === 'managed') return { ...base, quotaGb: String(Math.round(s.quotaBytes / GB)) };
  return {
    ...base, protocol: s.protocol, host: s.host, port: String(s.port), user: s.user, auth: s.auth, folder: s.folder, relayUrl: s.relayUrl,
    caCertificate: s.caCertificate ?? '', hostKeyFingerprint: s.hostKeyFingerprint ?? '',
  };
}

/** Switching protocol moves the port along when it still holds the old protocol's default (or nothing). */
export function withProtocol(draft: StorageDraft, protocol: RemoteProtocol): StorageDraft {
  const keepPort = draft.port !== '' && draft.port !== String(DEFAULT_PORTS[draft.protocol]);
  return {
    ...draft,
    protocol,
    port: keepPort ? draft.port : String(DEFAULT_PORTS[protocol]),
    auth: protocol === 'sftp' ? draft.auth : 'password',
    hostKeyFingerprint: protocol === 'sftp' ? draft.hostKeyFingerprint : '',
    caCertificate: protocol.startsWith('ftps') ? draft.caCertificate : '',
  };
}

/** What `saveStorage` / `testConnection` receive. Empty secret fields mean "keep the stored one". */
export function storageInputFromDraft(draft: StorageDraft): Record<string, unknown> {
  if (draft.kind === 'managed') return { kind: 'managed', quotaGb: draft.quotaGb };
  const input: Record<string, unknown> = {
    kind: 'remote', protocol: draft.protocol, host: draft.host, port: draft.port, user: draft.user, auth: draft.auth,
    folder: draft.folder, relayUrl: draft.relayUrl,
  };
  if (draft.auth === 'password' && draft.password !== '') input.password = draft.password;
  if (draft.auth === 'private-key' && draft.privateKey !== '') input.privateKey = draft.privateKey;
  // Sent as typed, spaces included: they are part of the passphrase.
  if (draft.auth === 'private-key' && draft.passphrase !== '') input.passphrase = draft.passphrase;
  if (draft.caCertificate.trim() !== '') input.caCertificate = draft.caCertificate;
  if (draft.hostKeyFingerprint.trim() !== '') input.hostKeyFingerprint = draft.hostKeyFingerprint;
  return input;
}
