"use client";

import { signOut } from "next-auth/react";
import styles from "./shell.module.css";

export function SignOutButton() {
  return (
    <button type="button" className={styles.signout} onClick={() => void signOut({ callbackUrl: "/login" })}>
      Sign out
    </button>
  );
}
