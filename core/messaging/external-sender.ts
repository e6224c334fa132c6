/**
 * How an integration's sender (a message's `external_user_name`) is shown where a bare name is all
 * people see — IRC, through the gateway and the bridge: marked, so that a flow-token post naming
 * itself `alice` cannot pass for the user alice. No nick can hold a `|` (core/actions/inputs.ts),
 * so nothing a person picks can end in the mark.
 */
export const EXTERNAL_SENDER_MARK = '|ext';
