/** Imported first by page tests: the bridge must exist before @forge/bridge loads (it captures it at load time). */
import { installForgeBridge } from './forge-ui-host';

installForgeBridge();
