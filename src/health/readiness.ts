/** Flipped once start-up work (migrations, campaign import) is done. */
export class Readiness {
  ready = false;
}
