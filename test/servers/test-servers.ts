/**
 * Real FTP / FTPS / SFTP servers for the storage tests: vsftpd (FTP + explicit FTPS on one instance,
 * implicit FTPS on a second) and OpenSSH sshd (SFTP, password and key), on loopback free ports, with a
 * generated certificate, host key and client key, all in a temp dir. Stopped by pid.
 * What the settings are and why: /work/shared/docs/test-servers.md. Tests run as root (useradd).
 * Missing binaries fail the tests with instructions; they never skip.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSelfSigned } from '../../relay/self-signed';
import { freePort, freePortRange, waitForPort } from './free-port';

export const TEST_USER = 'bcrelay';
/** Fixed, so parallel test files setting it concurrently agree. */
export const TEST_PASSWORD = 'relay-Test-pw-4711';
/** Spaces and punctuation on purpose: a passphrase must reach ssh2 exactly as typed, never trimmed. */
export const TEST_KEY_PASSPHRASE = ' correct horse, battery staple ';

const VSFTPD = '/usr/sbin/vsftpd';
const SSHD = '/usr/sbin/sshd';

export interface ServerAddress {
  host: string;
  port: number;
}

export interface TestServers {
  user: string;
  password: string;
  /** FTP and explicit FTPS (AUTH TLS) on one vsftpd. */
  ftp: ServerAddress;
  /** Implicit FTPS (TLS from the first byte). */
  ftpsImplicit: ServerAddress;
  sftp: ServerAddress & { hostKeyFingerprint: string };
  /** The FTPS servers' self-signed certificate: trust it as the CA. */
  caCertificate: string;
  /** OpenSSH private key whose public half is authorized for the test user. */
  clientPrivateKey: string;
  /** Another authorized key, encrypted with `passphrase` (ssh-keygen -N), for the passphrase tests. */
  clientEncryptedKey: { privateKey: string; passphrase: string };
  /** A folder the test user owns; tests make their repositories below it. */
  filesRoot: string;
  /** A folder the test user can read but not write (permission-denied tests). */
  readOnlyDir: string;
  /** The processes (pids) running, for tests that cut connections. */
  pids: number[];
  stop(): Promise<void>;
}

function requireBinary(path: string, apt: string): void {
  if (!existsSync(path)) {
    throw new Error(
      `${path} is not installed, so the real-server storage tests cannot run. Install it: ` +
        `flock /tmp/apt.lock sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${apt}' (./dev test does this in CI).`,
    );
  }
}

function ensureTestUser(): { uid: number; gid: number } {
  // flock: parallel jest workers may both try to create the user.
  execFileSync('flock', ['/tmp/bc-test-user.lock', 'sh', '-c',
    `id -u ${TEST_USER} >/dev/null 2>&1 || useradd -M -d /tmp -s /bin/bash ${TEST_USER}; echo '${TEST_USER}:${TEST_PASSWORD}' | chpasswd -c SHA512`], { stdio: 'pipe' });
  const uid = Number(execFileSync('id', ['-u', TEST_USER]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', TEST_USER]).toString().trim());
  return { uid, gid };
}

function vsftpdConfig(dir: string, name: string, port: number, pasvBase: number, certFile: string, keyFile: string, implicit: boolean): string {
  const file = join(dir, `${name}.conf`);
  writeFileSync(file, [
    'listen=YES', 'listen_address=127.0.0.1', `listen_port=${port}`, 'background=NO', 'seccomp_sandbox=NO',
    `secure_chroot_dir=${join(dir, 'empty')}`, 'anonymous_enable=NO', 'local_enable=YES', 'write_enable=YES', 'local_umask=022',
    'pam_service_name=vsftpd', 'pasv_enable=YES', 'pasv_address=127.0.0.1', `pasv_min_port=${pasvBase}`, `pasv_max_port=${pasvBase + 9}`,
    'ssl_enable=YES', `rsa_cert_file=${certFile}`, `rsa_private_key_file=${keyFile}`, 'allow_anon_ssl=NO',
    // Explicit instance: TLS optional so the same server also serves plain FTP. Implicit: TLS from the start.
    implicit ? 'implicit_ssl=YES' : 'force_local_logins_ssl=NO', implicit ? 'force_local_data_ssl=YES' : 'force_local_data_ssl=NO',
    'ssl_ciphers=HIGH', 'require_ssl_reuse=NO', 'delay_failed_login=0', 'max_clients=50', 'max_per_ip=50',
    `vsftpd_log_file=${join(dir, `${name}.log`)}`, 'xferlog_enable=YES', 'dual_log_enable=YES', '',
  ].join('\n'));
  return file;
}

function tail(file: string): string {
  try {
    return `Log ${file}: ${readFileSync(file, 'utf8').slice(-800)}`;
  } catch {
    return '';
  }
}

export async function startTestServers(): Promise<TestServers> {
  requireBinary(VSFTPD, 'vsftpd');
  requireBinary(SSHD, 'openssh-server');
  const { uid, gid } = ensureTestUser();
  const dir = mkdtempSync(join(tmpdir(), 'bc-servers-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'empty'));
  const filesRoot = join(dir, 'files');
  mkdirSync(filesRoot);
  chownSync(filesRoot, uid, gid);
  const readOnlyDir = join(dir, 'read-only');
  mkdirSync(readOnlyDir, { mode: 0o755 });

  const tls = generateSelfSigned('localhost', dir);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'client_key')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', TEST_KEY_PASSPHRASE, '-f', join(dir, 'client_key_encrypted')]);
  writeFileSync(join(dir, 'authorized_keys'), [readFileSync(join(dir, 'client_key.pub')), readFileSync(join(dir, 'client_key_encrypted.pub'))].join(''));
  const hostKeyBlob = Buffer.from(readFileSync(join(dir, 'host_key.pub'), 'utf8').split(' ')[1], 'base64');
  const hostKeyFingerprint = `SHA256:${createHash('sha256').update(hostKeyBlob).digest('base64').replace(/=+$/, '')}`;

  const [ftpPort, implicitPort, sftpPort] = [await freePort(), await freePort(), await freePort()];
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children) {
      if (child.exitCode === null && child.pid) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(child.pid, 'SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref())]);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const explicitConf = vsftpdConfig(dir, 'vsftpd-explicit', ftpPort, await freePortRange(10), tls.certFile, tls.keyFile, false);
    const implicitConf = vsftpdConfig(dir, 'vsftpd-implicit', implicitPort, await freePortRange(10), tls.certFile, tls.keyFile, true);
    children.push(spawn(VSFTPD, [explicitConf], { stdio: 'ignore' }));
    children.push(spawn(VSFTPD, [implicitConf], { stdio: 'ignore' }));

    mkdirSync('/run/sshd', { recursive: true });
    const sshdConf = join(dir, 'sshd_config');
    writeFileSync(sshdConf, [
      `Port ${sftpPort}`, 'ListenAddress 127.0.0.1', `HostKey ${join(dir, 'host_key')}`, `PidFile ${join(dir, 'sshd.pid')}`,
      'PasswordAuthentication yes', 'PubkeyAuthentication yes', `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'KbdInteractiveAuthentication no', 'UsePAM yes', 'StrictModes no', 'Subsystem sftp internal-sftp', 'MaxStartups 50:30:100', 'MaxSessions 50', '',
    ].join('\n'));
    // -D: stay in the foreground so the pid we hold is sshd's own.
    children.push(spawn(SSHD, ['-D', '-f', sshdConf, '-E', join(dir, 'sshd.log')], { stdio: 'ignore' }));

    await waitForPort(ftpPort, 10_000, () => tail(join(dir, 'vsftpd-explicit.log')));
    await waitForPort(implicitPort, 10_000, () => tail(join(dir, 'vsftpd-implicit.log')));
    await waitForPort(sftpPort, 10_000, () => tail(join(dir, 'sshd.log')));
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    user: TEST_USER,
    password: TEST_PASSWORD,
    ftp: { host: '127.0.0.1', port: ftpPort },
    ftpsImplicit: { host: '127.0.0.1', port: implicitPort },
    sftp: { host: '127.0.0.1', port: sftpPort, hostKeyFingerprint },
    caCertificate: tls.certPem,
    clientPrivateKey: readFileSync(join(dir, 'client_key'), 'utf8'),
    clientEncryptedKey: { privateKey: readFileSync(join(dir, 'client_key_encrypted'), 'utf8'), passphrase: TEST_KEY_PASSPHRASE },
    filesRoot,
    readOnlyDir,
    pids: children.map((c) => c.pid as number),
    stop,
  };
}
