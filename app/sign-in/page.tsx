import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { BrandPage } from '@/components/brand-page';
import { SignInForm } from '@/components/sign-in-form';
import { getSessionActor } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await getSessionActor()) redirect('/');
  const { callbackUrl } = await searchParams;
  // only same-site paths, never another origin
  const next = callbackUrl && callbackUrl.startsWith('/') && !callbackUrl.startsWith('//') ? callbackUrl : '/';
  return (
    <BrandPage>
      <div className="rounded-lg border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 p-6 shadow-sm">
        <h1 className="mb-4 text-lg font-semibold">Sign in</h1>
        <SignInForm callbackUrl={next} />
      </div>
      <p className="mt-4 text-center text-xs text-slate-600 dark:text-slate-400">The control plane for connected container registries.</p>
    </BrandPage>
  );
}
