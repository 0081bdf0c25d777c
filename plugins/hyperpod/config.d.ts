/**
 * The part of the `hyperpod:` block of app-config.yaml the frontend reads (the backend plugin's
 * config.d.ts declares the whole block).
 */
export interface Config {
  hyperpod?: {
    approval?: {
      /**
       * May the requester approve their own request? Default false. The cluster tab offers the
       * Approve button by the same rule the backend applies.
       * @visibility frontend
       */
      allowSelfApproval?: boolean;
    };
  };
}
