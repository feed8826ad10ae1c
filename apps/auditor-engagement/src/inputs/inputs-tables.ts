import { INPUTS_SCHEMA } from '../engagement-options';
import { InputsStore } from './inputs-store';

/** The inputs' tables in `engagement_inputs`: written by the consumers, read by EngagementInputs. */
export const ENGAGEMENT_INPUTS = new InputsStore(INPUTS_SCHEMA);
