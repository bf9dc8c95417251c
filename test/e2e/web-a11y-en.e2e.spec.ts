import { accessibilitySweep } from '../support/a11y-sweep';

accessibilitySweep('en', 'en-GB');
