import type { Metadata } from "next";
import { connection } from "next/server";
import localFont from "next/font/local";
import { Toaster } from "sonner";
import "./globals.css";

// Bundled from @fontsource-variable/inter: next/font/google would need the network at build time.
const inter = localFont({
  src: "../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  variable: "--font-inter",
  weight: "100 900",
  display: "swap",
});

export const metadata: Metadata = {
  title: { default: "Gatehouse", template: "%s · Gatehouse" },
  description: "Operations console for the invite-only beta",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request: the Content-Security-Policy's nonce is per request, and Next
  // can put it on its scripts only while rendering (a prerendered page's scripts would be blocked).
  await connection();
  return (
    <html lang="en" className={inter.variable}>
      <body className="min-h-screen font-sans">
        {children}
        <Toaster position="bottom-right" richColors closeButton />
      </body>
    </html>
  );
}
