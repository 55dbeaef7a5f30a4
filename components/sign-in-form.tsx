'use client';
import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';

const messages: Record<string, string> = {
  invalid_credentials: 'The email or password is wrong.',
  rate_limited: 'Too many failed sign-ins from this address. Wait up to 15 minutes, then try again.',
  account_disabled: 'This account is disabled. Ask an Owner to enable it.',
  CredentialsSignin: 'The email or password is wrong.',
};

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = new FormData(event.currentTarget).get('password')?.toString() ?? '';
    setPending(true);
    setError(undefined);
    const result = await signIn('credentials', { email, password, redirect: false, callbackUrl });
    setPending(false);
    if (result?.ok && !result.error) {
      router.replace(callbackUrl);
      router.refresh();
      return;
    }
    const code = result?.status === 429 ? 'rate_limited' : (result?.error ?? 'CredentialsSignin');
    setError(messages[code] ?? 'Sign-in failed. Try again.');
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <TextField label="Password" name="password" type="password" autoComplete="current-password" required />
      <FormMessage message={error} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
