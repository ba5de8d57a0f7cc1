import React from 'react';
import { Button, SectionMessage, Text } from '@forge/react';

/** A load failure, said plainly, with a way to try again. */
export function ErrorPanel({ title, message, onRetry }: { title: string; message: string; onRetry?: () => void }) {
  return (
    <SectionMessage appearance="error" title={title}>
      <Text>{message}</Text>
      {onRetry ? <Button onClick={onRetry}>Try again</Button> : null}
    </SectionMessage>
  );
}
