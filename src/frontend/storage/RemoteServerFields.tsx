import React from 'react';
import { Inline, Lozenge, RadioGroup, Stack, TextArea, Textfield } from '@forge/react';
import type { RemoteProtocol } from '../../core/plans/plan';
import { DEFAULT_PORTS } from '../../core/plans/defaults';
import { Field } from '../shared/Field';
import type { FieldErrors } from '../shared/resolver-client';
import { withProtocol, type StorageDraft } from './storage-draft';

interface RemoteServerFieldsProps {
  draft: StorageDraft;
  errors: FieldErrors;
  passwordSet: boolean;
  privateKeySet: boolean;
  passphraseSet: boolean;
  onChange: (draft: StorageDraft) => void;
}

const PROTOCOLS: { value: RemoteProtocol; label: string }[] = [
  { value: 'sftp', label: 'SFTP (SSH)' },
  { value: 'ftps-explicit', label: 'FTPS — explicit TLS (AUTH TLS)' },
  { value: 'ftps-implicit', label: 'FTPS — implicit TLS' },
  { value: 'ftp', label: 'FTP — unencrypted' },
];

function valueOf(event: unknown): string {
  return String((event as { target?: { value?: unknown } })?.target?.value ?? '');
}

/** The saved passphrase belongs to the saved key, so the hint says when pasting a new key will drop it. */
function passphraseHelper(passphraseSet: boolean, newKeyTyped: boolean): string {
  if (passphraseSet && newKeyTyped) return 'The saved passphrase belongs to the saved key and is removed when you save a new key: type the new key\'s passphrase, if it has one.';
  if (passphraseSet) return 'A passphrase is set. Leave this empty to keep it, or type a new one to replace it.';
  return 'Only if the private key is protected by a passphrase. Stored encrypted in Forge secret storage; never shown again.';
}

/** The customer's own server: where it is, how to sign in (secrets write-only), and how to recognise it. */
export function RemoteServerFields({ draft, errors, passwordSet, privateKeySet, passphraseSet, onChange }: RemoteServerFieldsProps) {
  const set = (patch: Partial<StorageDraft>) => onChange({ ...draft, ...patch });
  const text = (name: keyof StorageDraft, label: string, extra: { helper?: string; placeholder?: string } = {}) => (
    <Field name={name} label={label} error={errors[name]} helper={extra.helper}>
      <Textfield id={name} name={name} value={draft[name] as string} placeholder={extra.placeholder} onChange={(e) => set({ [name]: valueOf(e) } as Partial<StorageDraft>)} />
    </Field>
  );
  return (
    <Stack space="space.200">
      <Field name="protocol" label="Protocol" error={errors.protocol}>
        <RadioGroup name="protocol" value={draft.protocol} options={PROTOCOLS} onChange={(e) => onChange(withProtocol(draft, valueOf(e) as RemoteProtocol))} />
      </Field>
      {text('host', 'Host', { placeholder: 'backup.example.com' })}
      {text('port', 'Port', { helper: `Default for this protocol: ${DEFAULT_PORTS[draft.protocol]}.` })}
      {text('user', 'User name')}
      {draft.protocol === 'sftp' ? (
        <Field name="auth" label="Sign in with" error={errors.auth}>
          <RadioGroup
            name="auth"
            value={draft.auth}
            options={[{ value: 'password', label: 'Password' }, { value: 'private-key', label: 'Private key' }]}
            onChange={(e) => set({ auth: valueOf(e) as StorageDraft['auth'] })}
          />
        </Field>
      ) : null}
      {draft.auth === 'password' ? (
        <Field name="password" label="Password" error={errors.password}
          helper={passwordSet ? 'A password is set. Leave this empty to keep it, or type a new one to replace it.' : 'Stored encrypted in Forge secret storage; never shown again.'}>
          <Inline space="space.100" alignBlock="center">
            <Textfield id="password" name="password" type="password" value={draft.password} onChange={(e) => set({ password: valueOf(e) })} />
            {passwordSet ? <Lozenge appearance="success">Set</Lozenge> : <Lozenge>Not set</Lozenge>}
          </Inline>
        </Field>
      ) : (
        <>
          <Field name="privateKey" label="Private key" error={errors.privateKey}
            helper={privateKeySet ? 'A private key is set. Leave this empty to keep it, or paste a new one to replace it.' : 'Paste the whole key (OpenSSH or PEM). It is never shown again.'}>
            <Stack space="space.050">
              <TextArea id="privateKey" name="privateKey" value={draft.privateKey} isMonospaced onChange={(e) => set({ privateKey: valueOf(e) })} />
              {privateKeySet ? <Lozenge appearance="success">Set</Lozenge> : <Lozenge>Not set</Lozenge>}
            </Stack>
          </Field>
          <Field name="passphrase" label="Key passphrase" error={errors.passphrase} helper={passphraseHelper(passphraseSet, draft.privateKey !== '')}>
            <Inline space="space.100" alignBlock="center">
              <Textfield id="passphrase" name="passphrase" type="password" value={draft.passphrase} onChange={(e) => set({ passphrase: valueOf(e) })} />
              {passphraseSet ? <Lozenge appearance="success">Set</Lozenge> : <Lozenge>Not set</Lozenge>}
            </Inline>
          </Field>
        </>
      )}
      {text('folder', 'Folder on the server', { helper: 'Backups go into this folder; it is created if missing.' })}
      {text('relayUrl', 'Delivery relay URL', { placeholder: 'https://relay.example.com:8443', helper: 'Forge cannot open FTP or SSH connections itself; your relay does it over HTTPS.' })}
      {draft.protocol.startsWith('ftps') ? (
        <Field name="caCertificate" label="CA certificate (optional)" error={errors.caCertificate}
          helper="Only for servers whose certificate is signed by your own CA: paste that CA's certificate in PEM form.">
          <TextArea id="caCertificate" name="caCertificate" value={draft.caCertificate} isMonospaced onChange={(e) => set({ caCertificate: valueOf(e) })} />
        </Field>
      ) : null}
      {draft.protocol === 'sftp'
        ? text('hostKeyFingerprint', 'Trusted host key', { helper: '“Test connection” shows the key the server presents; confirm it to trust it.', placeholder: 'SHA256:…' })
        : null}
    </Stack>
  );
}
