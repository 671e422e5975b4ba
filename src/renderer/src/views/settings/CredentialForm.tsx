import { Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { CredentialSummary } from '../../../../shared/contract';

export interface CredentialFormProps {
  credential: CredentialSummary;
  onSubmit(value: string): Promise<string | undefined>;
  onCancel(): void;
}

/**
 * Write-only entry of a credential value: the field is never filled from the core (it has no way
 * to read a value back), and it is cleared as soon as the value is sent.
 */
export function CredentialForm({ credential, onSubmit, onCancel }: CredentialFormProps) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const [isSaving, setIsSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (value.trim() === '') {
      setError('Paste the credential value first.');
      return;
    }
    setIsSaving(true);
    const sent = value;
    setValue('');
    const failure = await onSubmit(sent);
    setIsSaving(false);
    setError(failure);
  };

  return (
    <form onSubmit={submit} aria-label={`Set ${credential.id}`}>
      <Stack gap="xs">
        <PasswordInput
          label={`${credential.isSet ? 'New value' : 'Value'} for ${credential.id}`}
          description="Write-only: the value goes to the keychain and is never shown again."
          autoComplete="off"
          spellCheck={false}
          data-autofocus
          value={value}
          onChange={(event) => setValue(event.currentTarget.value)}
          error={error}
          data-testid="credential-value"
        />
        <Group gap="xs">
          <Button type="submit" size="xs" loading={isSaving} data-testid="credential-save">
            {credential.isSet ? 'Replace' : 'Save'}
          </Button>
          <Button variant="default" size="xs" onClick={onCancel}>
            Cancel
          </Button>
          <Text size="xs" c="dimmed">
            Esc cancels
          </Text>
        </Group>
      </Stack>
    </form>
  );
}
