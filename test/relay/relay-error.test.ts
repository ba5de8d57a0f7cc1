/** Raw FTP replies, socket, TLS and SSH failures become codes the engine acts on and messages an admin acts on. */
import { classifyFtpReply, classifyServerError, RelayError } from '../../relay/relay-error';
import { classifySftpError } from '../../relay/sftp-fs';
import { checkConnection } from '../../relay/connection-settings';

const where = 'uploading data/ab/x';

test.each([
  [530, 'Login incorrect.', 'auth-failed', false, /Check the user name and password/],
  [550, 'Permission denied.', 'permission-denied', false, /rights on the backup folder/],
  [550, 'Failed to open file.', 'not-found', false, /no such file/],
  [553, 'Could not create file.', 'permission-denied', false, /write rights/],
  [552, 'Exceeded storage allocation.', 'disk-full', false, /Free space on the server or raise the quota/],
  [452, 'Insufficient storage space.', 'disk-full', false, /out of space/],
  [421, 'Too many users, try later.', 'transient', true, /retried/],
  [426, 'Connection closed; transfer aborted.', 'transient', true, /retried/],
  [425, "Can't open data connection.", 'transient', true, /retried/],
  [534, 'Policy requires SSL.', 'tls-failed', false, /FTPS mode/],
] as const)('FTP %i %s → %s', (reply, text, code, retryable, advice) => {
  const error = classifyFtpReply(reply, text, where);
  expect(error).toBeInstanceOf(RelayError);
  expect({ code: error.code, retryable: error.retryable }).toEqual({ code, retryable });
  expect(error.message).toMatch(advice);
  expect(error.message.startsWith(where)).toBe(true);
  expect(error.message).toContain(text);
});

test.each([
  ['ENOTFOUND', 'getaddrinfo ENOTFOUND ftp.example.invalid', 'unreachable', /DNS/],
  ['ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:21', 'unreachable', /Check the host and port/],
  ['EHOSTUNREACH', 'connect EHOSTUNREACH', 'unreachable', /network\/firewall/],
  ['ECONNRESET', 'read ECONNRESET', 'transient', /retried/],
  ['ETIMEDOUT', 'connect ETIMEDOUT', 'transient', /retried/],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', 'tls-failed', /CA certificate \(PEM\)/],
  ['ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames", 'tls-failed', /host name matches/],
] as const)('socket/TLS %s → %s', (code, message, expected, advice) => {
  const error = classifyServerError(Object.assign(new Error(message), { code }), 'connecting to ftp.example.com:21');
  expect(error.code).toBe(expected);
  expect(error.message).toMatch(advice);
});

test('a broken TLS record mid-session is transient, while connecting it is a TLS mode problem', () => {
  const raw = Object.assign(new Error('bad record type'), { code: 'ERR_SSL_BAD_RECORD_TYPE' });
  expect(classifyServerError(raw, 'uploading data/x').code).toBe('transient');
  expect(classifyServerError(raw, 'connecting to h:990')).toMatchObject({ code: 'tls-failed', message: expect.stringMatching(/FTPS mode/) });
});

test.each([
  [{ code: 2, message: 'No such file' }, 'not-found'],
  [{ code: 3, message: 'mkdir: Permission denied /x' }, 'permission-denied'],
  [{ code: 'ERR_BAD_AUTH', message: 'connect: All configured authentication methods failed' }, 'auth-failed'],
  [{ code: 'ERR_GENERIC_CLIENT', message: 'connect: Cannot parse privateKey: Unsupported key format' }, 'invalid'],
  [{ code: 4, message: 'Failure: No space left on device' }, 'disk-full'],
  [{ code: 'ECONNRESET', message: 'put: read ECONNRESET' }, 'transient'],
] as const)('SFTP %j → %s', (raw, code) => {
  expect(classifySftpError(Object.assign(new Error(raw.message), { code: raw.code }), where).code).toBe(code);
});

describe('connection settings are checked before any connection', () => {
  const valid = { protocol: 'sftp', host: 'sftp.example.com', port: 22, user: 'backup', password: 'pw', folder: '/backups' };
  test('valid settings pass and keep their fields', () => {
    expect(checkConnection(valid)).toMatchObject(valid);
  });
  test.each([
    [{ ...valid, protocol: 'scp' }, /protocol must be one of/],
    [{ ...valid, port: 70000 }, /port must be a whole number/],
    [{ ...valid, host: 'bad host!' }, /host must be/],
    [{ ...valid, password: undefined }, /SFTP needs a password or a private key/],
    [{ ...valid, protocol: 'ftp', privateKey: 'KEY' }, /private key works only with SFTP/],
    [{ ...valid, folder: '/a/../etc' }, /must not contain/],
    [{ ...valid, hostKeyFingerprint: 'MD5:aa:bb' }, /SHA256:/],
  ])('%j is refused', (settings, message) => {
    expect(() => checkConnection(settings)).toThrow(message);
  });
});
