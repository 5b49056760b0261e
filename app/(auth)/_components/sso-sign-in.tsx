// The single sign-on half of the sign-in page: shown only when SSO is configured. A plain form
// (no client state): the action redirects to the provider, which sends the browser back here.
import { KeyRound } from "lucide-react";
import { buttonClasses } from "@/components/ui/button";
import { signInWithSso } from "../actions";

export function SsoSignIn({ providerName, callbackUrl }: { providerName: string; callbackUrl?: string }) {
  return (
    <div className="mt-6">
      <div className="relative flex items-center" aria-hidden>
        <div className="flex-grow border-t border-slate-200" />
        <span className="mx-3 text-xs uppercase tracking-wide text-slate-400">or</span>
        <div className="flex-grow border-t border-slate-200" />
      </div>
      <form action={signInWithSso} className="mt-6">
        {callbackUrl ? <input type="hidden" name="callbackUrl" value={callbackUrl} /> : null}
        <button type="submit" className={buttonClasses("secondary", "md", "w-full")}>
          <KeyRound className="size-4 text-slate-500" aria-hidden />
          Sign in with {providerName}
        </button>
      </form>
      <p className="mt-2 text-center text-xs text-slate-400">Your company account, if an admin has added its e-mail address.</p>
    </div>
  );
}
