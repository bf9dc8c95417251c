import { accessibilitySweep } from '../support/a11y-sweep';

accessibilitySweep('mk', 'mk');
