import React from 'react';
import { Box, Heading, ProgressBar, SectionMessage, Stack, Text } from '@forge/react';
import type { StoragePanel } from '../../core/admin/view-model';

/**
 * Storage use against the quota as a bar; remote servers have no quota, so only the use is shown. The figure is kept
 * between counts (a full count of a large repository does not fit in a page load), so the page says when it is from.
 */
export function StorageUsage({ storage }: { storage: StoragePanel }) {
  return (
    <Box testId="storage-usage">
      <Stack space="space.100">
        <Heading size="small">Storage</Heading>
        <Text>{storage.description}</Text>
        {storage.error ? (
          <SectionMessage appearance="warning" title="Storage use unknown">
            <Text>{storage.error}</Text>
          </SectionMessage>
        ) : storage.measuring ? (
          <Text>
            {`Storage use is being measured; it shows here within a few minutes.${storage.quotaText ? ` The quota is ${storage.quotaText}.` : ''}`}
          </Text>
        ) : storage.fractionUsed !== undefined ? (
          <Stack space="space.050">
            <ProgressBar ariaLabel="Storage used of quota" value={storage.fractionUsed} appearance={storage.nearlyFull ? 'default' : 'success'} />
            <Text>{`${storage.usedText} of ${storage.quotaText} used (${Math.round(storage.fractionUsed * 100)}%)`}</Text>
          </Stack>
        ) : (
          <Text>{`${storage.usedText ?? 'Unknown'} used (the server sets no quota)`}</Text>
        )}
        {storage.asOfText ? (
          <Box testId="storage-as-of">
            <Text>{storage.asOfText}</Text>
          </Box>
        ) : null}
        {storage.nearlyFull ? (
          <SectionMessage appearance="warning" title="Storage nearly full">
            <Text>Backups will fail once the quota is reached. Raise the quota on the Storage tab or keep fewer backups in your plans.</Text>
          </SectionMessage>
        ) : null}
      </Stack>
    </Box>
  );
}
