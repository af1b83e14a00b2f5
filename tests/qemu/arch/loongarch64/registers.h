/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* For user.S and sched.S: the registers a C++ function must preserve ($fp, $s0-$s8) and the
 * return address, at $sp + 0 .. 80 (11 words; callers reserve 96 for 16-byte alignment), with
 * `op` st.d to save them or ld.d to restore them. */

.macro call_preserved op
	\op	$ra, $sp, 0
	\op	$fp, $sp, 8
	.irp	r, 0,1,2,3,4,5,6,7,8
	\op	$s\r, $sp, (\r + 2) * 8
	.endr
.endm
