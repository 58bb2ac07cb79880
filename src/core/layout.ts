/** Where metarepo keeps things inside a workspace: names every layer agrees on. */

/** File name of the workspace configuration. */
export const CONFIG_FILE = 'metarepo.yaml';
/** Folder of metarepo's own state inside a workspace (partly git-ignored; see `.metarepo/.gitignore`). */
export const STATE_DIR = '.metarepo';
