import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { AppError } from '@/lib/errors';
import { noteUnexpectedError } from '@/lib/rate-limit/unexpected-errors';
import { clientAddress } from './client-address';
import { authenticateAdmin } from './sign-in';

export const authOptions: NextAuthOptions = {
  secret: process.env.NEXTAUTH_SECRET,
  session: { strategy: 'jwt', maxAge: 12 * 60 * 60 },
  pages: { signIn: '/sign-in', error: '/sign-in' },
  providers: [
    CredentialsProvider({
      name: 'Email and password',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) return null;
        try {
          const actor = await authenticateAdmin(credentials.email, credentials.password, clientAddress(req.headers), 'session');
          return { id: actor.adminId, email: actor.email, name: actor.name };
        } catch (error) {
          // next-auth hands the message to the sign-in page as `error`
          if (error instanceof AppError) throw new Error(error.code);
          // nobody is signed in: counted against the address, logged a few times a minute at most
          noteUnexpectedError(clientAddress(req.headers), '[sign-in] unexpected error', error);
          throw new Error('internal_error');
        }
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) token.adminId = user.id;
      return token;
    },
    session({ session, token }) {
      return { ...session, adminId: token.adminId as string | undefined };
    },
  },
};
