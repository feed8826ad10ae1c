import { AcceptanceObligations } from './acceptance-obligations.service';
import { PeopleController } from './people.controller';
import { PeopleReadModel } from './people-read-model';
import { PolicyAcceptanceObligationsController } from './policy-acceptance-obligations.controller';

/** The people directory's routes, for the control-mapping module (people are hosted by this service). */
export const PEOPLE_CONTROLLERS = [PeopleController, PolicyAcceptanceObligationsController];

/** Its read model and the acceptance obligations (which the deadline sweep asks too). */
export const PEOPLE_PROVIDERS = [PeopleReadModel, AcceptanceObligations];
