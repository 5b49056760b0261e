import { Card, CardBody, CardHeader } from "@/components/ui/card";
import type { SmsOverview } from "@/lib/policy/get-sms-overview";
import { HeldPrefixesTable } from "./held-prefixes-table";
import { SmsBudgetUse } from "./sms-budget-use";
import { SmsConversionChart } from "./sms-conversion-chart";
import { SmsConversionTable } from "./sms-conversion-table";

/** SPEC §3.2 rule 7 on the Policy page: budgets and their use, held prefixes, 24 hours of sends vs verifications. */
export function SmsSpendingSection({ overview, canRelease }: { overview: SmsOverview; canRelease: boolean }) {
  return (
    <section aria-labelledby="sms-spending" className="mb-8 space-y-6">
      <h2 id="sms-spending" className="text-lg font-semibold text-slate-900">
        SMS spending
      </h2>
      <Card>
        <CardHeader title="Budgets in use" description="Codes sent in the current window beside each budget (live counters; refused attempts give their share back)." />
        <CardBody>
          <SmsBudgetUse global={overview.budgets.global} countries={overview.budgets.countries} prefixes={overview.budgets.prefixes} />
        </CardBody>
      </Card>
      <div>
        <h3 className="mb-2 text-sm font-semibold text-slate-900">Held prefixes</h3>
        <HeldPrefixesTable
          canRelease={canRelease}
          rows={overview.holds.map((h) => ({
            prefix: h.prefix,
            country: h.country,
            status: h.status,
            reason: h.reason,
            heldAt: h.heldAt.toISOString(),
            releasedAt: h.releasedAt?.toISOString() ?? null,
          }))}
        />
      </div>
      <Card>
        <CardHeader title="Codes sent and verified, last 24 hours" description="Per UTC hour. A range being pumped shows as codes sent that nobody verifies. Up to two minutes behind." />
        <CardBody>
          <SmsConversionChart points={overview.hourly.map((h) => ({ hour: h.hour.toISOString(), sends: h.sends, verifications: h.verifications }))} />
        </CardBody>
      </Card>
      <div className="grid gap-6 xl:grid-cols-2">
        <div>
          <h3 className="mb-2 text-sm font-semibold text-slate-900">Per country</h3>
          <SmsConversionTable by="country" rows={overview.countries.map((c) => ({ key: c.country, country: c.country, sends: c.sends, verifications: c.verifications }))} />
        </div>
        <div>
          <h3 className="mb-2 text-sm font-semibold text-slate-900">Per prefix</h3>
          <SmsConversionTable by="prefix" rows={overview.prefixes.map((p) => ({ key: p.prefix, country: p.country, sends: p.sends, verifications: p.verifications }))} />
        </div>
      </div>
    </section>
  );
}
