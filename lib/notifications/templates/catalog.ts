// The words of every notification, per locale. SMS texts are written to fit one segment
// (GSM-7, 160 characters; French avoids ê/ç/â, which are outside the GSM alphabet) with a
// phase name of up to 24 characters; Chinese is UCS-2 (70 units), where an invitation with its
// 19-character code and link takes two segments.
import type { Locale, NotificationKind } from "@/db/schema";

export interface TemplateValues {
  /** Phase name; a generic word when the producer gave none. */
  phase: string;
  /** The one-time code, formatted for reading. */
  code: string;
  /** Expiry, already formatted for the locale. */
  expires: string;
  /** Deep link into the app. */
  link: string;
}

export interface Template {
  sms(v: TemplateValues): string;
  subject(v: TemplateValues): string;
  email(v: TemplateValues): string;
}

type Catalog = Record<NotificationKind, Template>;

const en: Catalog = {
  verification_code: {
    sms: (v) => `Gatehouse: your verification code is ${v.code}. Valid until ${v.expires}. Never share it.`,
    subject: () => "Your Gatehouse verification code",
    email: (v) =>
      `Your verification code is ${v.code}.\n\nIt is valid until ${v.expires}. Never share it: Gatehouse staff will never ask for it.\n\n${v.link}`,
  },
  invitation: {
    sms: (v) => `Gatehouse: you're invited to ${v.phase}! Code ${v.code}, valid until ${v.expires}. Open: ${v.link}`,
    subject: (v) => `You're invited to ${v.phase}`,
    email: (v) =>
      `You're invited to ${v.phase}!\n\nYour invitation code: ${v.code}\nIt works with the phone number it was sent for, until ${v.expires}.\n\nOpen the app: ${v.link}`,
  },
  invitation_reminder: {
    sms: (v) => `Gatehouse: your invitation to ${v.phase} expires ${v.expires}. Use the code we sent you: ${v.link}`,
    subject: (v) => `Your invitation to ${v.phase} expires soon`,
    email: (v) =>
      `Your invitation to ${v.phase} expires ${v.expires}.\n\nOpen the app and enter the code we sent you: ${v.link}`,
  },
  reactivation: {
    sms: (v) => `Gatehouse: new invitation to ${v.phase}! Code ${v.code}, valid until ${v.expires}. Open: ${v.link}`,
    subject: (v) => `A new invitation to ${v.phase}`,
    email: (v) =>
      `A new invitation to ${v.phase} is waiting for you.\n\nYour invitation code: ${v.code}\nIt works with the phone number it was sent for, until ${v.expires}.\n\nOpen the app: ${v.link}`,
  },
};

const fr: Catalog = {
  verification_code: {
    sms: (v) => `Gatehouse : votre code de validation est ${v.code}. Valable jusqu'à ${v.expires}. Ne le partagez pas.`,
    subject: () => "Votre code de validation Gatehouse",
    email: (v) =>
      `Votre code de validation est ${v.code}.\n\nIl est valable jusqu'à ${v.expires}. Ne le partagez jamais : l'équipe Gatehouse ne vous le demandera pas.\n\n${v.link}`,
  },
  invitation: {
    sms: (v) => `Gatehouse : invitation pour ${v.phase} ! Code ${v.code}, valable jusqu'au ${v.expires}. Lien : ${v.link}`,
    subject: (v) => `Votre invitation pour ${v.phase}`,
    email: (v) =>
      `Vous êtes invité(e) à rejoindre ${v.phase} !\n\nVotre code d'invitation : ${v.code}\nIl fonctionne avec le numéro auquel il a été envoyé, jusqu'au ${v.expires}.\n\nOuvrir l'application : ${v.link}`,
  },
  invitation_reminder: {
    sms: (v) => `Gatehouse : votre invitation pour ${v.phase} expire le ${v.expires}. Utilisez le code envoyé : ${v.link}`,
    subject: (v) => `Votre invitation pour ${v.phase} expire bientôt`,
    email: (v) =>
      `Votre invitation pour ${v.phase} expire le ${v.expires}.\n\nOuvrez l'application et saisissez le code envoyé : ${v.link}`,
  },
  reactivation: {
    sms: (v) => `Gatehouse : nouvelle invitation pour ${v.phase} ! Code ${v.code}, valable jusqu'au ${v.expires}. ${v.link}`,
    subject: (v) => `Une nouvelle invitation pour ${v.phase}`,
    email: (v) =>
      `Une nouvelle invitation pour ${v.phase} vous attend.\n\nVotre code d'invitation : ${v.code}\nIl fonctionne avec le numéro auquel il a été envoyé, jusqu'au ${v.expires}.\n\nOuvrir l'application : ${v.link}`,
  },
};

const zh: Catalog = {
  verification_code: {
    sms: (v) => `【Gatehouse】验证码${v.code}，${v.expires}前有效，请勿泄露。`,
    subject: () => "您的 Gatehouse 验证码",
    email: (v) => `您的验证码是 ${v.code}，${v.expires}前有效。请勿告诉任何人，Gatehouse 工作人员不会向您索取。\n\n${v.link}`,
  },
  invitation: {
    sms: (v) => `【Gatehouse】您受邀加入${v.phase}！邀请码${v.code}，${v.expires}前有效。${v.link}`,
    subject: (v) => `您受邀加入${v.phase}`,
    email: (v) => `您受邀加入${v.phase}！\n\n邀请码：${v.code}\n仅限接收本邀请的手机号使用，${v.expires}前有效。\n\n打开应用：${v.link}`,
  },
  invitation_reminder: {
    sms: (v) => `【Gatehouse】您的${v.phase}邀请将于${v.expires}过期，请尽快使用。${v.link}`,
    subject: (v) => `您的${v.phase}邀请即将过期`,
    email: (v) => `您的${v.phase}邀请将于${v.expires}过期。\n\n请打开应用并输入我们发送给您的邀请码：${v.link}`,
  },
  reactivation: {
    sms: (v) => `【Gatehouse】您获得了${v.phase}的新邀请！邀请码${v.code}，${v.expires}前有效。${v.link}`,
    subject: (v) => `${v.phase}的新邀请`,
    email: (v) => `您获得了${v.phase}的新邀请！\n\n邀请码：${v.code}\n仅限接收本邀请的手机号使用，${v.expires}前有效。\n\n打开应用：${v.link}`,
  },
};

export const catalogs: Record<Locale, Catalog> = { en, fr, zh };

/** Said instead of a phase name when the producer gave none. */
export const genericPhase: Record<Locale, string> = { en: "the Gatehouse beta", fr: "la beta Gatehouse", zh: "内测" };
