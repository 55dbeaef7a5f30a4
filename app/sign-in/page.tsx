import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { Trees } from 'lucide-react';
import { SignInForm } from '@/components/sign-in-form';
import { getSessionActor } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await getSessionActor()) redirect('/');
  const { callbackUrl } = await searchParams;
  // only same-site paths, never another origin
  const next = callbackUrl && callbackUrl.startsWith('/') && !callbackUrl.startsWith('//') ? callbackUrl : '/';
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2">
          <Trees className="text-brand-600" size={28} aria-hidden />
          <span className="text-2xl font-semibold tracking-tight">Canopy</span>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="mb-4 text-lg font-semibold">Sign in</h1>
          <SignInForm callbackUrl={next} />
        </div>
        <p className="mt-4 text-center text-xs text-slate-500">The control plane for connected container registries.</p>
      </div>
    </main>
  );
}
