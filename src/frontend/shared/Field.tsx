import React from 'react';
import { Box, ErrorMessage, HelperMessage, Label, Stack } from '@forge/react';

interface FieldProps {
  /** The field path the resolver uses in its errors (`schedule.time`); also the control's name and id. */
  name: string;
  label: string;
  /** The resolver's message for this field, shown right under it. */
  error?: string;
  helper?: string;
  children: React.ReactNode;
}

/** A label, its control, and the field's own error (or hint) directly beneath it. */
export function Field({ name, label, error, helper, children }: FieldProps) {
  return (
    <Box testId={`field-${name}`}>
      <Stack space="space.050">
        <Label labelFor={name}>{label}</Label>
        {children}
        {error ? <ErrorMessage>{error}</ErrorMessage> : helper ? <HelperMessage>{helper}</HelperMessage> : null}
      </Stack>
    </Box>
  );
}
