import React from 'react';
import { Box, Button, Code, DynamicTable, Lozenge, SectionMessage, Stack, Text } from '@forge/react';
import type { ConnectionReport } from '../../core/admin/collaborators';

interface ConnectionReportViewProps {
  report: ConnectionReport;
  pinnedFingerprint: string;
  onTrustHostKey: (fingerprint: string) => void;
}

/** "Test connection": each step with its outcome, and the server's identity for the admin to confirm. */
export function ConnectionReportView({ report, pinnedFingerprint, onTrustHostKey }: ConnectionReportViewProps) {
  const rows = report.steps.map((step, index) => ({
    key: `${index}`,
    cells: [
      { key: 'step', content: step.name },
      { key: 'result', content: <Lozenge appearance={step.ok ? 'success' : 'removed'}>{step.ok ? 'OK' : 'Failed'}</Lozenge> },
      { key: 'message', content: step.message },
    ],
  }));
  const key = report.hostKeyFingerprint;
  return (
    <Box testId="connection-report">
      <Stack space="space.100">
        <SectionMessage appearance={report.ok ? 'success' : 'error'} title={report.ok ? 'Connection works' : 'Connection failed'}>
          <Text>{report.ok ? 'Every step succeeded. Save to use these settings.' : 'Fix the failed step below, then test again.'}</Text>
        </SectionMessage>
        <DynamicTable
          caption="Connection test steps"
          head={{ cells: [{ key: 'step', content: 'Step' }, { key: 'result', content: 'Result' }, { key: 'message', content: 'Details' }] }}
          rows={rows}
        />
        {key ? (
          <SectionMessage appearance={key === pinnedFingerprint ? 'success' : 'warning'} title="Server host key">
            <Text>
              The server identified itself with this host key. Compare it with the key your server administrator gives you before trusting it:
            </Text>
            <Code>{key}</Code>
            {key === pinnedFingerprint ? (
              <Text>This key is the trusted one: backups are only sent to a server that presents it.</Text>
            ) : (
              <Button onClick={() => onTrustHostKey(key)}>Trust this host key</Button>
            )}
          </SectionMessage>
        ) : null}
        {report.certificate ? (
          <SectionMessage appearance="information" title="Server certificate">
            <Text>{`Subject: ${report.certificate.subject}`}</Text>
            <Text>{`Issued by: ${report.certificate.issuer}`}</Text>
            <Text>{`Valid until: ${report.certificate.validTo}`}</Text>
            <Code>{report.certificate.fingerprint}</Code>
          </SectionMessage>
        ) : null}
      </Stack>
    </Box>
  );
}
