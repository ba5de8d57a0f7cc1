import React from 'react';
import { Button, Link, SectionMessage, Text } from '@forge/react';
import type { BackupDownload } from '../../core/admin/collaborators';

/** Where to get a backup: a short-lived link for managed storage, the path on the customer's own server otherwise. */
export function DownloadNotice({ fileName, download, onClose }: { fileName: string; download: BackupDownload; onClose: () => void }) {
  return (
    <SectionMessage appearance="information" title={`Download "${fileName}"`}>
      {download.type === 'link' ? (
        <Text>
          <Link href={download.url} openNewTab>{download.fileName}</Link>
          {' — the link works for a limited time; ask again if it has expired.'}
        </Text>
      ) : (
        <Text>{`This backup is on your server ${download.server} at ${download.path}. Fetch it with your FTP or SFTP client.`}</Text>
      )}
      <Button appearance="subtle" onClick={onClose}>Close</Button>
    </SectionMessage>
  );
}
