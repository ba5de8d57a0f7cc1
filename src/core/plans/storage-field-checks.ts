import { CONTROL_CHARACTERS, FieldErrors } from './field-errors';

const HOST_LABEL = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6 = /^[0-9a-fA-F:.]+$/;
/** OpenSSH's format: "SHA256:" + unpadded base64 of the 32-byte digest (43 characters; a trailing "=" is tolerated). */
export const HOST_KEY_FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}=?$/;
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END CERTIFICATE-----/g;

/** A host name or IP address only: no scheme, port, path or spaces (each of those has its own field or makes no sense). */
export function checkHost(errors: FieldErrors, value: unknown): string | undefined {
  const host = typeof value === 'string' ? value.trim() : '';
  if (host === '') return errors.add('host', 'Enter the server\'s host name or IP address, e.g. ftp.example.com.');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) return errors.add('host', 'Enter only the host name, without ftp:// or sftp:// (the protocol is chosen above).');
  if (/\s/.test(host)) return errors.add('host', 'A host name cannot contain spaces.');
  if (host.includes('/')) return errors.add('host', 'Enter only the host name; put the folder in the Folder field.');
  if (host.includes('@')) return errors.add('host', 'Enter only the host name; put the user name in the User field.');
  const bracketed = /^\[(.*)\]$/.exec(host);
  const bare = bracketed ? bracketed[1] : host;
  if (bare.includes(':')) {
    if (!bracketed && /^[^:]+:\d+$/.test(host)) return errors.add('host', 'Put the port in the Port field, not after the host name.');
    if (!IPV6.test(bare) || (bare.match(/:/g) ?? []).length < 2) return errors.add('host', `"${host}" is not a valid host name or IPv6 address.`);
    return bare;
  }
  const ipv4 = IPV4.exec(bare);
  if (ipv4) {
    if (ipv4.slice(1).some((octet) => Number(octet) > 255)) return errors.add('host', `"${host}" is not a valid IPv4 address (each part is 0–255).`);
    return bare;
  }
  if (bare.length > 253 || !bare.split('.').every((label) => HOST_LABEL.test(label))) {
    return errors.add('host', `"${host}" is not a valid host name: use letters, digits, "-" and dots, e.g. sftp.example.com.`);
  }
  return bare.toLowerCase();
}

/** An absolute folder on the server, normalised (single slashes, no trailing slash); '..' is refused so a path can't climb out. */
export function checkFolder(errors: FieldErrors, value: unknown): string | undefined {
  const folder = typeof value === 'string' ? value.trim() : '';
  if (folder === '') return errors.add('folder', 'Enter the folder that holds the backups, e.g. /backups/jira.');
  if (!folder.startsWith('/')) return errors.add('folder', 'The folder must be an absolute path starting with "/", e.g. /backups/jira.');
  if (folder.includes('\\')) return errors.add('folder', 'Use "/" between folder names, not "\\".');
  if (CONTROL_CHARACTERS.test(folder)) return errors.add('folder', 'The folder cannot contain line breaks or other control characters.');
  const segments = folder.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return errors.add('folder', 'The folder cannot contain "." or ".." parts; give the full path, e.g. /backups/jira.');
  if (folder.length > 1024) return errors.add('folder', 'The folder path is too long (at most 1024 characters).');
  return `/${segments.join('/')}`;
}

/** The delivery relay's base URL: HTTPS only, since Forge calls remotes over HTTPS. */
export function checkRelayUrl(errors: FieldErrors, value: unknown): string | undefined {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') return errors.add('relayUrl', 'Enter the delivery relay\'s address, e.g. https://relay.example.com.');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return errors.add('relayUrl', `"${text}" is not a web address; it should look like https://relay.example.com.`);
  }
  if (url.protocol !== 'https:') return errors.add('relayUrl', 'The relay address must start with https:// — Forge only reaches remotes over HTTPS.');
  if (url.username || url.password) return errors.add('relayUrl', 'Leave the user name and password out of the relay address; the relay checks Forge\'s signed token instead.');
  if (url.search || url.hash) return errors.add('relayUrl', 'The relay address cannot have a query (?…) or fragment (#…).');
  return url.toString().replace(/\/+$/, '');
}

/** One or more PEM certificates (a custom CA for FTPS servers with a private certificate). */
export function checkCaCertificate(errors: FieldErrors, value: unknown): string | undefined {
  const pem = typeof value === 'string' ? value.trim() : '';
  const blocks = [...pem.matchAll(PEM_BLOCK)];
  const leftover = pem.replace(PEM_BLOCK, '').trim();
  if (blocks.length === 0 || leftover !== '' || blocks.some((b) => b[1].replace(/\s/g, '').length < 64)) {
    return errors.add('caCertificate', 'Paste the CA certificate in PEM form: from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.');
  }
  return pem;
}

export function checkHostKeyFingerprint(errors: FieldErrors, value: unknown): string | undefined {
  const fingerprint = typeof value === 'string' ? value.trim() : '';
  if (!HOST_KEY_FINGERPRINT_PATTERN.test(fingerprint)) {
    return errors.add('hostKeyFingerprint', 'The host key fingerprint must look like SHA256:… (43 base64 characters), as "Test connection" or ssh-keygen -lf shows it.');
  }
  return fingerprint;
}
