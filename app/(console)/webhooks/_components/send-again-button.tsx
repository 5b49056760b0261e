"use client";

import { RotateCw } from "lucide-react";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { sendWebhookAgainAction } from "../actions";

export function SendAgainButton({ deliveryId, endpointDisabled }: { deliveryId: string; endpointDisabled: boolean }) {
  return (
    <ConfirmAction
      label="Send again"
      icon={<RotateCw className="size-4" aria-hidden />}
      title="Send this delivery again?"
      description={
        endpointDisabled
          ? "It goes out with the same webhook-id as soon as the endpoint is enabled again."
          : "It goes out once more with the same webhook-id and a fresh retry schedule; a receiver that already processed it may drop it."
      }
      confirmLabel="Send again"
      hidden={{ deliveryId }}
      action={sendWebhookAgainAction}
      successMessage="Delivery queued again"
    />
  );
}
