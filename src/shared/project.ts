export interface Project {
  id: number;
  name: string;
  /** 32 lowercase hex characters: the key in the DSN. */
  publicKey: string;
  keyEnabled: boolean;
  dsn: string;
  webhookUrl: string | null;
  /** Sentry fingerprint rules (one per line), applied to new events. */
  fingerprintRules: string;
  createdAt: string;
}
